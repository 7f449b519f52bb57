"""Process records: nominating organisations, commissions and their nominees, candidates and
their pipeline, official figures; loaded from files, counted in SQL (figures.py)."""
