FROM maven:3-jdk17 AS base
COPY settings.xml /root/.m2/settings.xml

FROM base AS build
WORKDIR /src
COPY . .
RUN mvn -B package

FROM maven:3-jdk17 AS variable
COPY settings.xml ${MAVEN_CONFIG}/settings.xml
WORKDIR /src
COPY . .
RUN mvn -B package
