FROM python:3.11
RUN pip install uv==0.4.30
WORKDIR /app
COPY requirements.txt ./
RUN uv pip install --system --break-system-packages --link-mode=hardlink -r requirements.txt
COPY . .
CMD ["python3", "app.py"]
