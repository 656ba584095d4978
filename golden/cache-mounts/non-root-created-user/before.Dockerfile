FROM python:3.11-slim
RUN useradd --create-home --uid 1001 appuser
USER appuser
WORKDIR /home/appuser
COPY requirements.txt .
RUN pip install --user -r requirements.txt
