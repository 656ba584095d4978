FROM python:3.11
WORKDIR /app
RUN printf '[install]\nconstraint = constraints.txt\n' > /etc/pip.conf
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
