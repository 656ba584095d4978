FROM python:3.12-slim
WORKDIR /app
COPY lib/ /opt/lib/
ENV PYTHONPATH=/opt/lib
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py ./
CMD ["sh", "-c", "cd /opt/lib && chmod -R g+w . && cd /app && exec python app.py"]
