python3 scripts/prep.py
exec python3 app.py
