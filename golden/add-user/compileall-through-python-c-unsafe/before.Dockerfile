FROM python:3.12-slim
WORKDIR /app
COPY lib/ /opt/lib/
ENV PYTHONPATH=/opt/lib
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py ./
CMD ["sh", "-c", "python -c \"import compileall, sys; sys.exit(not compileall.compile_dir('/opt/lib', quiet=1))\" && exec python app.py"]
