namespace ScenarioKit.Storage.Tests;

/// <summary>The SQLite writer's queue: every item added is taken once, the taker that sleeps is woken, and closing loses nothing.</summary>
public sealed class WriterQueueTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_item_of_many_adders_is_taken_once_by_a_taker_that_sleeps_between_them()
    {
        const int Adders = 6, PerAdder = 20_000;
        var queue = new WriterQueue<string>();
        var taken = new List<string>(Adders * PerAdder);
        var bursts = 0;
        var taker = new Thread(() =>
        {
            while (queue.Take(out var item))
            {
                taken.Add(item);
                // Drain as the store's writer does; between bursts the queue is empty and the taker goes to sleep.
                while (queue.TryTake(out var next)) taken.Add(next);
                bursts++;
            }
        });
        taker.Start();

        await Task.WhenAll(Enumerable.Range(0, Adders).Select(a => Task.Run(async () =>
        {
            var random = new Random(a);
            for (var i = 0; i < PerAdder; i++)
            {
                queue.Add($"{a}/{i}");
                // Pauses now and then, so that some items find the taker asleep and must wake it.
                if (random.Next(500) == 0) await Task.Delay(1, Ct);
            }
        }, Ct)));
        queue.Complete();
        Assert.True(taker.Join(TimeSpan.FromSeconds(30)), "the taker did not see the queue closed");

        Assert.Equal(Adders * PerAdder, taken.Count);
        Assert.Equal(Adders * PerAdder, taken.Distinct().Count());
        for (var a = 0; a < Adders; a++)
        {
            // One adder's items keep their order.
            var mine = taken.Where(t => t.StartsWith($"{a}/", StringComparison.Ordinal)).Select(t => int.Parse(t[(t.IndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(0, PerAdder), mine);
        }
        Assert.True(bursts > 10, $"the taker emptied the queue {bursts} times");
    }

    [Fact]
    public void A_closed_queue_refuses_new_items_and_still_gives_those_it_had()
    {
        var queue = new WriterQueue<string>();
        queue.Add("一");
        queue.Add("two");
        queue.Complete();

        Assert.Throws<InvalidOperationException>(() => queue.Add("three"));
        Assert.True(queue.Take(out var first));
        Assert.True(queue.Take(out var second));
        Assert.False(queue.Take(out _));
        Assert.Equal(["一", "two"], [first, second]);
    }

    [Fact]
    public async Task A_sleeping_taker_is_woken_by_an_item_and_by_the_close()
    {
        var queue = new WriterQueue<string>();
        var first = Task.Factory.StartNew(() => queue.Take(out var item) ? item : null, Ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.Delay(100, Ct);
        queue.Add("会話");
        Assert.Equal("会話", await first.WaitAsync(TimeSpan.FromSeconds(10), Ct));

        var second = Task.Factory.StartNew(() => queue.Take(out _), Ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.Delay(100, Ct);
        queue.Complete();
        Assert.False(await second.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    [Fact]
    public async Task Adds_racing_the_close_are_either_refused_or_taken()
    {
        for (var round = 0; round < 200; round++)
        {
            var queue = new WriterQueue<object>();
            var taken = 0;
            var taker = Task.Factory.StartNew(() =>
            {
                while (queue.Take(out _)) taken++;
            }, Ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var accepted = 0;
            var adders = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                for (var i = 0; i < 200; i++)
                {
                    try
                    {
                        queue.Add(new object());
                        Interlocked.Increment(ref accepted);
                    }
                    catch (InvalidOperationException)
                    {
                        return;
                    }
                }
            }, Ct)).ToArray();
            await Task.Delay(round % 3, Ct);
            queue.Complete();
            await Task.WhenAll(adders);
            await taker.WaitAsync(TimeSpan.FromSeconds(10), Ct);
            Assert.Equal(accepted, taken);
        }
    }
}
