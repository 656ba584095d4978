FROM python:3.11-slim
RUN groupadd --system app && mkdir -p /data && chgrp app /data && chmod 2775 /data
WORKDIR /srv
COPY . .
CMD ["python", "app.py"]
