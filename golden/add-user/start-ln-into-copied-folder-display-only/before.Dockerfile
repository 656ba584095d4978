FROM python:3.12-slim
WORKDIR /app
COPY lib/ /opt/lib/
ENV PYTHONPATH=/opt/lib
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py ./
CMD ["sh", "-c", "ln -sf /app/app.py /opt/lib/entry.py && exec python app.py"]
