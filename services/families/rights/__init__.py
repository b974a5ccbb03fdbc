"""Data rights (RGPD): a family downloads all its data, asks for its account to be closed,
and, once the accounting records' legal retention has passed, a manager anonymises it."""
