using EventLedger.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Weasel.Core;
using Weasel.Core.Migrations;
using Wolverine.Runtime;

namespace EventLedger.Tests.Hosting;

/// <summary>
/// The SQL in migrations/ is what production runs; this fails when the model drifts from it, so a
/// change to events, projections or messaging must come with its generated migration (db-patch).
/// </summary>
public sealed class MigrationsTests
{
    [Fact]
    public async Task The_committed_migrations_build_exactly_the_schema_the_switch_expects()
    {
        var connectionString = await TestPostgres.NewDatabaseAsync("migrations");
        await ApplyMigrationsAsync(connectionString);
        var settings = SwitchFixture.BaseSettings(connectionString, applySchema: false);
        SwitchFixture.AddProvider(settings, 0, "44444444", SilentServer.RefusingUrl(), "4444", "x", 1_000);

        await using var host = await SwitchFixture.StartSwitchAsync(settings);

        var ledger = host.Services.GetRequiredService<IDocumentStore>().Storage.Database;
        var messaging = (IDatabase)host.Services.GetRequiredService<IWolverineRuntime>().Storage;
        foreach (var database in new IDatabase[] { ledger, messaging })
        {
            var migration = await database.CreateMigrationAsync();
            migration.Difference.Should().Be(SchemaPatchDifference.None,
                "migrations/ must match the model; regenerate with db-patch (see docs/operations.md)");
        }
    }

    private static async Task ApplyMigrationsAsync(string connectionString)
    {
        var files = Directory.GetFiles(RepositoryRoot.Migrations, "*.sql")
            .Where(f => !f.EndsWith(".drop.sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        files.Should().NotBeEmpty();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var file in files)
        {
            await using var command = new NpgsqlCommand(await File.ReadAllTextAsync(file), connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
