using EventLedger.Tests.Infrastructure;
using Npgsql;

namespace EventLedger.Tests.Hostile;

/// <summary>The embedded PostgreSQL trusts no one: every connection proves the password, and its files are its owner's.</summary>
public sealed class EmbeddedPostgresTests
{
    [Fact]
    public async Task A_local_user_on_the_socket_needs_the_password_and_the_data_directory_is_the_owners_alone()
    {
        var (server, connectionString) = await TestPostgres.PrivateClusterAsync("auth");

        var withoutPassword = new NpgsqlConnectionStringBuilder
        {
            Host = server.SocketDirectory, Port = server.Port, Username = "postgres", Database = "postgres", Timeout = 5,
        }.ConnectionString;
        var open = async () =>
        {
            await using var connection = new NpgsqlConnection(withoutPassword);
            await connection.OpenAsync();
        };

        await open.Should().ThrowAsync<NpgsqlException>("the socket no longer trusts local users");
        await using (var proven = new NpgsqlConnection(connectionString))
        {
            await proven.OpenAsync();
        }

        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(server.SocketDirectory).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var hba = await File.ReadAllTextAsync(Path.Combine(server.SocketDirectory, "data", "pg_hba.conf"));
        hba.Split('\n').Where(l => !l.TrimStart().StartsWith('#')).Should().NotContain(l => l.TrimEnd().EndsWith("trust", StringComparison.Ordinal));
    }
}
