"""Field-service orders (LOG-04): from a repair call to the settled fee."""
