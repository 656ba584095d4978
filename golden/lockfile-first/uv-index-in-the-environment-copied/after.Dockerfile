FROM python:3.12-slim
RUN pip install uv==0.5.11
ENV UV_EXTRA_INDEX_URL=file:///app/simple
WORKDIR /app
COPY requirements.txt ./
COPY simple/ ./simple/
RUN uv pip install --system -r requirements.txt
COPY . .
CMD ["python", "app.py"]
