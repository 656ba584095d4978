FROM python:3.11
WORKDIR /app
RUN cat > /etc/pip.conf <<EOF
[install]
constraint = /app/constraints.txt
EOF
COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt
COPY . .
