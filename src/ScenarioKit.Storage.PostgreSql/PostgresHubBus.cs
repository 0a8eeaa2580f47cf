using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using ScenarioKit.Hub.Cluster;
using static ScenarioKit.Storage.PostgreSql.PostgresConnection;

namespace ScenarioKit.Storage.PostgreSql;

/// <summary>
/// The hub's bus over PostgreSQL. Messages are <c>NOTIFY</c> payloads; one larger than <see cref="MaxNotifyBytes"/>
/// (the server refuses payloads of 8000 bytes or more) is written to <c>hub_messages</c> in the same transaction and
/// its id sent instead, and the leader prunes such rows after ten minutes. The leader is the node whose dedicated
/// connection holds the session advisory lock <see cref="LeaderLockKey"/>: when that node dies, PostgreSQL ends its
/// session and the lock goes to the next node that asks (each asks every <see cref="LockRetry"/>).
/// </summary>
public sealed class PostgresHubBus(NpgsqlDataSource dataSource, ILogger<PostgresHubBus> logger) : IHubBus
{
    /// <summary>The advisory-lock key every node agrees on ("SKHUBLEA" in ASCII).</summary>
    const long LeaderLockKey = 0x534B_4855_424C_4541;

    /// <summary>Payloads up to this many UTF-8 bytes go in the notification itself.</summary>
    public const int MaxNotifyBytes = 7000;

    const string CommandChannel = "sk_hub_commands", PushChannel = "sk_hub_pushes", LeaderChannel = "sk_hub_leader", ReplyPrefix = "sk_hub_reply_";

    static readonly TimeSpan LockRetry = TimeSpan.FromSeconds(1);
    static readonly TimeSpan LockCheck = TimeSpan.FromSeconds(1);

    public string NodeId { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();

    public async Task SendAsync(HubChannel channel, string? node, string payload, CancellationToken cancellationToken)
    {
        var name = channel switch
        {
            HubChannel.Commands => CommandChannel,
            HubChannel.Pushes => PushChannel,
            HubChannel.Leader => LeaderChannel,
            _ => ReplyPrefix + (node ?? throw new ArgumentNullException(nameof(node), "A reply goes to one node.")),
        };
        var inline = Encoding.UTF8.GetByteCount(payload) <= MaxNotifyBytes && !payload.StartsWith('@');
        await using var command = dataSource.CreateCommand(inline
            ? "SELECT pg_notify($1, $2)"
            : "WITH m AS (INSERT INTO hub_messages (payload) VALUES ($2) RETURNING id) SELECT pg_notify($1, '@' || m.id) FROM m");
        command.Parameters.Add(Text(name));
        command.Parameters.Add(Text(payload));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ListenAsync(Func<HubChannel, string, Task> received, CancellationToken cancellationToken)
    {
        // The notification callback runs on the listening connection: it only queues; one reader handles them in order.
        var inbox = Channel.CreateUnbounded<(string Channel, string Payload)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var listening = PostgresConnection.ListenAsync(dataSource, [CommandChannel, PushChannel, LeaderChannel, ReplyPrefix + NodeId], (channel, payload) =>
        {
            if (channel is not null && payload is not null) inbox.Writer.TryWrite((channel, payload));
        }, cancellationToken);
        try
        {
            await foreach (var (channel, payload) in inbox.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    var body = payload.StartsWith('@') ? await ReadStoredAsync(payload, cancellationToken).ConfigureAwait(false) : payload;
                    if (body is not null) await received(ChannelOf(channel), body).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    logger.LogError(e, "Hub: a message on {Channel} could not be handled.", channel);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await listening.ConfigureAwait(false);
    }

    public async Task LeadAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // A dedicated connection: the lock lives as long as its session, which ends with the process.
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                while (!await ScalarAsync<bool>(connection, $"SELECT pg_try_advisory_lock({LeaderLockKey})", cancellationToken).ConfigureAwait(false))
                    await Task.Delay(LockRetry, cancellationToken).ConfigureAwait(false);
                await HoldAsync(connection, lead, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or SocketException or TimeoutException)
            {
                logger.LogWarning("Hub: the connection for the leader lock failed ({Message}); competing for the lead again.", e.Message);
            }
            try
            {
                await Task.Delay(LockRetry, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Runs <paramref name="lead"/> while the lock's session answers; a failed check ends the lead (another node may hold the lock by then).</summary>
    async Task HoldAsync(NpgsqlConnection connection, Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var leading = lead(lost.Token);
        try
        {
            for (var checks = 0; !leading.IsCompleted; checks++)
            {
                await Task.WhenAny(leading, Task.Delay(LockCheck, cancellationToken)).ConfigureAwait(false);
                if (leading.IsCompleted) break;
                cancellationToken.ThrowIfCancellationRequested();
                await ScalarAsync<int>(connection, "SELECT 1", cancellationToken).ConfigureAwait(false);
                if (checks % 600 == 0) await PruneAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await lost.CancelAsync().ConfigureAwait(false);
            try
            {
                await leading.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                logger.LogError(e, "Hub: the leader's work failed; this node gives up the lead and competes for it again.");
            }
        }
    }

    async Task PruneAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM hub_messages WHERE created_utc < now() - interval '10 minutes'");
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    async Task<string?> ReadStoredAsync(string reference, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT payload FROM hub_messages WHERE id = $1");
        command.Parameters.Add(Value(long.Parse(reference.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture)));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    static HubChannel ChannelOf(string channel) => channel switch
    {
        CommandChannel => HubChannel.Commands,
        PushChannel => HubChannel.Pushes,
        LeaderChannel => HubChannel.Leader,
        _ => HubChannel.Replies,
    };
}
