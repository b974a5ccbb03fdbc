"""Configuration of the centre's offer, for managers: periods, units, tariffs, places, closures."""
