FROM python:3.11
COPY requirements.txt .
RUN pip install --upgrade pip \
    # pinned versions only
    && pip install --no-cache-dir -r requirements.txt \
    # the cache would only bloat the image
    && rm -rf /root/.cache/pip
