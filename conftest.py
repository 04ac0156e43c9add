"""Test-wide settings shared by every app's tests."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

# Timing-based deadlines make property tests flaky on a loaded 2-core CI machine; correctness, not speed,
# is what they check (speed is measured in bench/).
settings.register_profile(
    "motcua", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
settings.load_profile("motcua")
