"""Parses the Prometheus text format on standard input with the Prometheus client library's own
parser and prints every sample as JSON: [{"name": ..., "labels": {...}, "value": ...}, ...].
A malformed exposition makes the parser raise, and this script exit non-zero."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

samples = []
for family in text_string_to_metric_families(sys.stdin.read()):
    for sample in family.samples:
        samples.append({"name": sample.name, "labels": sample.labels, "value": sample.value})
json.dump(samples, sys.stdout)
