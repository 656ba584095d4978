FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt \
 && python -c "import json; json.dump({'visits': 0}, open('state.json', 'w'))"
CMD ["python", "app.py"]
