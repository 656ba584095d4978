FROM python:3.12-slim
RUN pip install uv==0.4.30
COPY requirements.txt .
RUN uv pip install --system -r requirements.txt && uv cache clean
