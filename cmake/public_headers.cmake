# The installed API: the headers a program embedding liblogad starts from, and every logad header
# they include, found by following their `#include <logad/...>` lines, so the installed set is
# closed by construction. The rest of include/logad is the library's own and is not installed.
set(LOGAD_API_ENTRY_HEADERS
    logad/analyze/train.hpp            # train and update on raw logs
    logad/analyze/log_scorer.hpp       # score a stream: push_line, tick, finish
    logad/analyze/log_input.hpp        # open and order log files
    logad/analyze/score_inputs.hpp     # score files or a byte source, ticking while input is quiet
    logad/present/score_run.hpp        # score logs and print what `logad score` prints, to your streams
    logad/pipeline/score_stream.hpp    # read score records back
    logad/pipeline/score_record.hpp
    logad/pipeline/incidents.hpp
    logad/model/detector.hpp           # the detectors on numeric rows
    logad/event_json.hpp
    logad/error.hpp
    logad/export.hpp)

# logad_header_closure(OUT header...): the headers and what they include, transitively.
function(logad_header_closure out)
  set(todo ${ARGN})
  set(seen "")
  while(todo)
    list(POP_FRONT todo header)
    if(header IN_LIST seen OR NOT EXISTS ${PROJECT_SOURCE_DIR}/include/${header})
      continue()  # seen, or generated (version.hpp, installed on its own)
    endif()
    list(APPEND seen ${header})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/${header})
    file(STRINGS ${PROJECT_SOURCE_DIR}/include/${header} includes REGEX "^#include <logad/")
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^#include <(logad/[^>]+)>.*" "\\1" included "${line}")
      list(APPEND todo ${included})
    endforeach()
  endwhile()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

logad_header_closure(LOGAD_PUBLIC_HEADERS ${LOGAD_API_ENTRY_HEADERS})
foreach(header IN LISTS LOGAD_PUBLIC_HEADERS)
  get_filename_component(dir ${header} DIRECTORY)
  install(FILES ${PROJECT_SOURCE_DIR}/include/${header} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/${dir})
endforeach()
