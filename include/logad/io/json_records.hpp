#pragma once
// Log records that arrive as one JSON document instead of JSON lines: `aws logs
// filter-log-events` ({"events": [...], "nextToken": ...}, pretty-printed), an Elasticsearch /
// OpenSearch `_search` or scroll response ({"hits": {"hits": [...]}}), `gcloud logging read
// --format=json` (a JSON array of entries), or pretty-printed JSON records (`jq .` output).
//
// split_json_records() looks at the first non-blank line. It reads the input as JSON documents
// when that line
//   - opens a document it does not close (a valid JSON prefix ending outside a string: `{`, `[`,
//     `{"events": [`...), or is cut by the 1 MiB peek,
//   - is a whole array whose first element is an object, or
//   - is a whole object with no time member of its own (time, timestamp, @timestamp, ts) that
//     holds a record array (below): a response, not a record.
// Any other input (JSON lines, text, a numeric table) is passed through unchanged.
//
// The documents (one or several, one after the other) become one line per record, compact JSON:
//   - a top-level array: each element;
//   - a top-level object: the elements of each record array inside it: an array whose first
//     element is an object with a `_source`, `timestamp`, `@timestamp` or `time` member
//     (CloudWatch's `events`, Elasticsearch's `hits.hits`; `searchedLogStreams` and `_shards`
//     hold none); an object holding no record array is itself one record.
// Each record's line is the physical line its element starts on (blank lines pad the output), so
// line numbers in logad's output point into the document; records that share a line (a compact
// document) take the following line numbers.
// Damaged input stops the read with an InputError naming the line: a bracket that does not match,
// text between documents, or the input ending inside a document ("truncated"); the records before
// it have been delivered.
#include <logad/io/input.hpp>

#include <memory>

namespace logad::io {

std::unique_ptr<ByteSource> split_json_records(std::unique_ptr<ByteSource> source);

}  // namespace logad::io
