FROM maven:3-eclipse-temurin-21
WORKDIR /build
# The company mirror, written where Maven reads user settings
RUN mkdir -p ~/.m2 && printf "<settings><mirrors/></settings>" > ~/.m2/settings.xml
COPY pom.xml .
RUN mvn -B dependency:go-offline
