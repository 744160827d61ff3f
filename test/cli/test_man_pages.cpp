// Every subcommand has a man page, every flag in its --help is in the page and every flag the
// page documents exists, and each page renders without warnings.
#include "../oracle.hpp"
#include "process.hpp"

#include <catch2/catch.hpp>
#include <re2/re2.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "../support/support.hpp"

namespace {

std::set<std::string> long_flags(const std::string& text) {
    std::set<std::string> flags;
    re2::StringPiece input(text);
    std::string flag;
    static const re2::RE2 k_flag(R"((?:^|[\s,\[(])(--[a-z][a-z0-9-]*))");
    while (re2::RE2::FindAndConsume(&input, k_flag, &flag)) flags.insert(flag);
    return flags;
}

// The "Options:" block of --help, up to the footer (which holds examples, not definitions).
std::string options_block(const std::string& help) {
    const auto begin = help.find("Options:");
    if (begin == std::string::npos) return {};
    const auto end = help.find("\n\n", begin);
    return help.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

// The OPTIONS section of a roff page, with roff's escaped minus signs made plain.
std::string man_options(const std::string& page) {
    const auto begin = page.find(".SH OPTIONS");
    if (begin == std::string::npos) return {};
    const auto end = page.find("\n.SH ", begin + 1);
    std::string s = page.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    for (std::size_t at = s.find("\\-"); at != std::string::npos; at = s.find("\\-", at)) s.erase(at, 1);
    return s;
}

}  // namespace

TEST_CASE("each subcommand's man page documents exactly the flags of its --help", "[cli][man]") {
    const auto names = logad::test::subcommands();
    REQUIRE(names.size() >= 5);
    for (const auto& name : names) {
        DYNAMIC_SECTION(name) {
            const std::string page_path = LOGAD_SOURCE_DIR "/man/logad-" + name + ".1";
            REQUIRE(std::filesystem::exists(page_path));
            auto help_flags = long_flags(options_block(logad::test::run_logad({name, "--help"}).out));
            help_flags.erase("--help");
            REQUIRE(!help_flags.empty());
            const auto page_flags = long_flags(man_options(logad::test::read_all(page_path)));
            for (const auto& f : help_flags) {
                INFO(name << ": " << f << " is in --help but not in " << page_path);
                CHECK(page_flags.count(f) == 1);
            }
            for (const auto& f : page_flags) {
                INFO(name << ": " << f << " is in " << page_path << " but not in --help");
                CHECK(help_flags.count(f) == 1);
            }
        }
    }
}

TEST_CASE("logad(1) documents the global flags and every command", "[cli][man]") {
    const std::string page = logad::test::read_all(LOGAD_SOURCE_DIR "/man/logad.1");
    auto help_flags = long_flags(options_block(logad::test::run_logad({"--help"}).out));
    REQUIRE(help_flags.count("--color") == 1);
    CHECK(long_flags(man_options(page)) == help_flags);
    for (const auto& name : logad::test::subcommands()) {
        INFO(name << " is not in logad.1");
        CHECK(page.find(".B " + name + "\n") != std::string::npos);
    }
}

TEST_CASE("man pages render without warnings", "[cli][man]") {
    if (std::system("command -v man >/dev/null 2>&1") != 0) {
        LOGAD_ORACLE_MISSING("man (man-db) is not installed");
        return;
    }
    for (const auto& entry : std::filesystem::directory_iterator(LOGAD_SOURCE_DIR "/man")) {
        if (entry.path().extension() != ".1") continue;
        DYNAMIC_SECTION(entry.path().filename().string()) {
            const std::string cmd = "LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l '" + entry.path().string() + "' 2>&1 >/dev/null";
            FILE* p = ::popen(cmd.c_str(), "r");
            REQUIRE(p != nullptr);
            std::string warnings;
            char buf[512];
            while (std::fgets(buf, sizeof buf, p)) warnings += buf;
            CHECK(::pclose(p) == 0);
            CHECK(warnings.empty());
        }
    }
}
