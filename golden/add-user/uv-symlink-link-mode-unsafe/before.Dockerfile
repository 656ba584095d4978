FROM python:3.11
RUN pip install uv==0.4.30
ENV UV_LINK_MODE=symlink
WORKDIR /app
COPY requirements.txt ./
RUN uv pip install --system --break-system-packages -r requirements.txt
COPY . .
CMD ["python3", "app.py"]
