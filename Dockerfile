# One build, two images: `--target switch` (default) and `--target simulator`.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig EventLedger.sln ./
COPY src/ src/
# ReadyToRun: precompiled, so a restarted switch serves its first redemption ~0.5 s sooner (docs/benchmarks.md).
RUN dotnet publish src/EventLedger/EventLedger.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o /out/switch \
 && dotnet publish src/EventLedger.ProviderSimulator/EventLedger.ProviderSimulator.csproj -c Release -o /out/simulator

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS simulator
WORKDIR /app
COPY --from=build /out/simulator .
USER app
ENTRYPOINT ["dotnet", "EventLedger.ProviderSimulator.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS switch
WORKDIR /app
COPY --from=build /out/switch .
COPY migrations/ /app/migrations/
USER app
ENTRYPOINT ["dotnet", "EventLedger.dll"]
