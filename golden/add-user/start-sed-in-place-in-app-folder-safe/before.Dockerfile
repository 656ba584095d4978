FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["sh", "-c", "sed -i s/helper/patched/ /app/lib/helper.py && chmod -R g+w /app/lib && exec python app.py"]
