"""Plain resource files (icons, letter templates), loaded with importlib.resources."""
