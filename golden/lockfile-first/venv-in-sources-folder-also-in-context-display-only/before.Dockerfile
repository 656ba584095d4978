FROM python:3.11
WORKDIR /app
COPY . .
RUN python -m venv .venv && .venv/bin/pip install -r requirements.txt
CMD [".venv/bin/python", "app.py"]
