"""One `Protocol` per partner agency and its HTTP implementation (the simulators speak the same API)."""
