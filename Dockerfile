# EdgeBroker container image.
#   docker build -t edgebroker .
#   docker run -p 1883:1883 -p 61613:61613 -p 8080:8080 -v edgebroker-data:/data \
#     -v ./users:/etc/edgebroker/users:ro -e EdgeBroker__Security__UsersFile=/etc/edgebroker/users \
#     -e EdgeBroker__Security__AdminUsers__0=admin edgebroker
#   (create ./users with: dotnet run --project src/EdgeBroker.Server -- passwd ./users admin)
#
# Inside the container the broker binds 0.0.0.0 (the EdgeBroker__*__BindAddress settings below): the container's
# network namespace is the isolation boundary, and publishing a port with `-p` is the explicit opt-in.
# Because the listeners are not on loopback, the Mosquitto 2 rules apply (RELIABILITY.md security
# defaults): clients must authenticate unless EdgeBroker__Security__AllowAnonymous=true, and HTTP callers
# from outside the container must sign in as one of EdgeBroker__Security__AdminUsers (/healthz stays open).

# ---- build -------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source

# Everything the build needs (src/, web/ for the dashboard, central props); .dockerignore drops bin/obj,
# tests and VCS data so the context stays small and host build output never leaks in.
# node/npm build the dashboard (web/) during the server build (src/EdgeBroker.Server/Dashboard.targets).
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
COPY . .
RUN dotnet restore src/EdgeBroker.Server/EdgeBroker.Server.csproj
RUN dotnet publish src/EdgeBroker.Server/EdgeBroker.Server.csproj \
        --configuration Release --no-restore --output /app -p:UseAppHost=false

# ---- runtime -----------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./

# ASPNETCORE_HTTP_PORTS is cleared because the listeners come from EdgeBroker:Http (the base image sets 8080).
# Data at rest: one directory owned by the unprivileged 'app' user (UID 1654 in the .NET images), mode 0700.
RUN mkdir -p /data && chown app:app /data && chmod 0700 /data

ENV EdgeBroker__DataDirectory=/data \
    EdgeBroker__Http__BindAddress=0.0.0.0 \
    EdgeBroker__Http__Port=8080 \
    EdgeBroker__Mqtt__BindAddress=0.0.0.0 \
    EdgeBroker__Stomp__BindAddress=0.0.0.0 \
    ASPNETCORE_HTTP_PORTS= \
    DOTNET_gcServer=0

VOLUME ["/data"]

# MQTT 1883, MQTT over TLS 8883, STOMP 61613, STOMP over TLS 61614, HTTP (API, WebSockets, /metrics, /healthz) 8080.
EXPOSE 1883 8883 61613 61614 8080

USER app

# SIGTERM (docker stop) runs the graceful shutdown: stop accepting, drain, fsync, clean-shutdown markers.
# Give it time with `docker stop -t 30` for large queues.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "EdgeBroker.Server.dll"]
