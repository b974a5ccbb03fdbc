"""The centre's offer: sites, activities, periods, units, places and tariffs."""
