using System.Globalization;
using System.Reflection;
using Npgsql;

namespace ScenarioKit.Storage.PostgreSql;

/// <summary>
/// Versioned schema migrations: the numbered scripts embedded from <c>Migrations/NNNN_name.sql</c>, each applied once in
/// its own transaction and recorded in <c>schema_migrations</c>. The whole pass runs under a session advisory lock, so
/// nodes starting together take turns: the first applies what is missing, the others find it applied.
/// </summary>
public static class PostgresMigrations
{
    /// <summary>The advisory-lock key every ScenarioKit node agrees on ("SKMIGRAT" in ASCII).</summary>
    const long LockKey = 0x534B_4D49_4752_4154;

    const string ResourcePrefix = "migrations/";

    /// <summary>The embedded scripts, oldest first, as (version, name, sql).</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = LoadScripts();

    /// <summary>Applies every script not yet recorded; returns how many it applied (0 when the schema was current).</summary>
    public static async Task<int> ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({LockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                  version integer NOT NULL PRIMARY KEY,
                  name text NOT NULL,
                  applied_utc timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken).ConfigureAwait(false);
            var applied = new HashSet<int>();
            await using (var read = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) applied.Add(reader.GetInt32(0));
            }
            var count = 0;
            foreach (var (version, name, sql) in Scripts)
            {
                if (applied.Contains(version)) continue;
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, sql, cancellationToken).ConfigureAwait(false);
                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection))
                {
                    record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
                    record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                count++;
            }
            return count;
        }
        finally
        {
            // A session that broke has lost its advisory lock with it; unlocking it then would only hide why it broke.
            if (connection.FullState == System.Data.ConnectionState.Open)
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    static List<(int, string, string)> LoadScripts()
    {
        var assembly = typeof(PostgresMigrations).Assembly;
        var scripts = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = Path.GetFileNameWithoutExtension(resource[ResourcePrefix.Length..]);
            var underscore = name.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(name.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                throw new InvalidOperationException($"Migration '{resource}' is not named NNNN_name.sql.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var text = new StreamReader(stream);
            scripts.Add((version, name, text.ReadToEnd()));
        }
        scripts.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return scripts;
    }
}
