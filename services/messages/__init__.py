"""The message box between families and their centre, and mailings to an activity's families."""
