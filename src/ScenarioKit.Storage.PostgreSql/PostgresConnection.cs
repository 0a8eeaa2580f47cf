using Npgsql;
using NpgsqlTypes;

namespace ScenarioKit.Storage.PostgreSql;

/// <summary>What both PostgreSQL stores share: the data source, the LISTEN loop, parameter helpers.</summary>
public static class PostgresConnection
{
    /// <summary>Builds a pooled data source; a malformed connection string fails here, naming the problem but never the password.</summary>
    /// <exception cref="PostgresConfigurationException">The connection string cannot be used.</exception>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new PostgresConfigurationException("No PostgreSQL connection string: set ScenarioKit:Storage:ConnectionString (e.g. ScenarioKit__Storage__ConnectionString=\"Host=db;Database=scenariokit;Username=bot;Password=…\").");
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // Npgsql names the keyword it does not know; the string itself (and its password) stays out of the message.
            throw new PostgresConfigurationException($"ScenarioKit:Storage:ConnectionString is not a valid PostgreSQL connection string: {e.Message}");
        }
        if (string.IsNullOrEmpty(builder.Host))
            throw new PostgresConfigurationException("ScenarioKit:Storage:ConnectionString names no Host.");
        builder.ApplicationName ??= "scenariokit";
        return new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
    }

    /// <summary>Where a data source points, for messages: host, port, database and user, never the password.</summary>
    public static string Describe(NpgsqlDataSource dataSource)
    {
        var b = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return $"PostgreSQL {b.Host}:{b.Port} database '{b.Database ?? b.Username}' as '{b.Username}'";
    }

    /// <summary>
    /// One connection that LISTENs on <paramref name="channel"/> and hands each payload to <paramref name="received"/>
    /// until cancelled. A lost connection is reopened (after a second) and announced by a null payload, since
    /// notifications sent meanwhile are gone.
    /// </summary>
    internal static Task ListenAsync(NpgsqlDataSource dataSource, string channel, Action<string?> received, CancellationToken cancellationToken) =>
        ListenAsync(dataSource, [channel], (_, payload) => received(payload), cancellationToken);

    /// <summary>As above, on several channels at once; <paramref name="received"/> gets the channel and the payload (null after a reconnect, with a null channel).</summary>
    internal static async Task ListenAsync(NpgsqlDataSource dataSource, IReadOnlyList<string> channels, Action<string?, string?> received, CancellationToken cancellationToken)
    {
        var reconnect = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, e) => received(e.Channel, e.Payload);
                await using (var listen = new NpgsqlCommand(string.Join(";", channels.Select(c => $"LISTEN \"{c}\"")), connection))
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                if (reconnect) received(null, null);
                reconnect = true;
                while (true) await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    internal static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    internal static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value is { } v ? v.ToUniversalTime() : DBNull.Value };

    internal static NpgsqlParameter<T> Value<T>(T value) => new() { TypedValue = value };
}

/// <summary>The PostgreSQL store is not configured usably (missing or malformed connection string).</summary>
public sealed class PostgresConfigurationException(string message) : Exception(message);
