"""commonsgen: static sites for Creative Commons publications, with correct credits."""
