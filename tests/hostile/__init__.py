"""Hostile input. Every fuzzer here runs FUZZ_EXAMPLES examples (150 in the suite); an off-suite
run sets more with BYHAND_FUZZ_EXAMPLES, e.g. `BYHAND_FUZZ_EXAMPLES=5000 pytest tests/hostile`."""

import os

from hypothesis import HealthCheck, settings

FUZZ_EXAMPLES = int(os.environ.get("BYHAND_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
