"""Small helpers shared by the feature packages."""
