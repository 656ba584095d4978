FROM python:3.11
WORKDIR /app
COPY . .
RUN python3 -m json.tool --compact defaults.json state.json
CMD ["python3", "app.py"]
