FROM python:3.12-slim
WORKDIR /app
COPY lib/ /opt/lib/
ENV PYTHONPATH=/opt/lib
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["sh", "-c", "python -m compileall -q /opt/lib && exec python app.py"]
