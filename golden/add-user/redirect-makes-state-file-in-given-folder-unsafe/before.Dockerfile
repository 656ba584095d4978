FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
RUN echo '{"visits": 0}' > /app/state.json
CMD ["python", "app.py"]
