"""Write side: read coordinator spreadsheets and catalogue files, check them, import them (CLI: python -m loaders)."""
