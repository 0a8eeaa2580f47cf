using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.Hosting;

/// <summary>
/// Runs the store's expiry every <see cref="RetentionSettings.Interval"/> (the first pass at start) with the cutoffs of
/// <see cref="ScenarioServerOptions.Retention"/>. The store does the work in small steps that share the turn writer's
/// commits, so turns are not stalled while a pass runs (docs/performance.md, "Storage size and retention").
/// </summary>
internal sealed class RetentionService(IStoreRetention store, ScenarioServerOptions options, TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Retention;
        if (settings.Interval <= TimeSpan.Zero || (settings.ActivityJson <= TimeSpan.Zero && settings.Transcripts <= TimeSpan.Zero)) return;
        using var timer = new PeriodicTimer(settings.Interval, time);
        try
        {
            do
            {
                await ExpireOnceAsync(settings, stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    async Task ExpireOnceAsync(RetentionSettings settings, CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        try
        {
            var result = await store.ExpireAsync(Cutoff(now, settings.ActivityJson), Cutoff(now, settings.Transcripts), stoppingToken).ConfigureAwait(false);
            if (result != new RetentionResult(0, 0, 0) && logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("Retention: deleted the activity JSON of idle conversations ({Activities} activities), {Turns} turn-log rows and {Conversations} conversations.",
                    result.Activities, result.Turns, result.Conversations);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The next pass tries again; a failed pass loses nothing.
            logger.LogError(e, "Retention: the expiry pass failed.");
        }
    }

    static DateTimeOffset Cutoff(DateTimeOffset now, TimeSpan keep) => keep <= TimeSpan.Zero ? DateTimeOffset.MinValue : now - keep;
}
