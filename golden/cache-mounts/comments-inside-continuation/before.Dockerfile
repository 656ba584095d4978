FROM python:3.11
COPY requirements.txt .
RUN pip install --upgrade pip \
    # pinned versions only
    && pip install --no-cache-dir -r requirements.txt \
    && rm -rf /root/.cache/pip \
    # smoke test
    && python -c "import flask"
