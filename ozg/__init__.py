"""OZG-Cockpit core: domain rules, database access and every SQL query in one package."""
