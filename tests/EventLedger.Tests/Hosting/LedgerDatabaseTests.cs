using EventLedger.Hosting;
using Npgsql;

namespace EventLedger.Tests.Hosting;

public sealed class LedgerDatabaseTests
{
    [Fact]
    public void Pooled_connections_are_returned_without_a_reset_when_the_connection_string_does_not_say()
    {
        var tuned = new NpgsqlConnectionStringBuilder(LedgerDatabase.WithDefaults("Host=db;Database=ledger;Username=switch"));

        tuned.NoResetOnClose.Should().BeTrue();
        tuned.Timeout.Should().Be(LedgerDatabase.DefaultConnectTimeoutSeconds);
        tuned.Host.Should().Be("db");
        tuned.Database.Should().Be("ledger");
    }

    [Fact]
    public void An_operator_who_sets_the_connect_timeout_keeps_it()
    {
        new NpgsqlConnectionStringBuilder(LedgerDatabase.WithDefaults("Host=db;Timeout=30")).Timeout.Should().Be(30);
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false")]
    [InlineData("Host=db;NoResetOnClose=false")]
    [InlineData("Host=db;no reset on close=False")]
    public void An_operator_who_asks_for_the_reset_keeps_it(string connectionString)
    {
        new NpgsqlConnectionStringBuilder(LedgerDatabase.WithDefaults(connectionString)).NoResetOnClose.Should().BeFalse();
    }
}
