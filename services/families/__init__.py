"""Family files, guardians, children and their accounts."""
