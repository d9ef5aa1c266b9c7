#include "advisor/daemon/daemon.hpp"

#include <poll.h>

#include <csignal>

#include <chrono>
#include <map>
#include <memory>
#include <ostream>

#include "advisor/daemon/log.hpp"
#include "advisor/daemon/recommendations_file.hpp"
#include "advisor/daemon/reload.hpp"
#include "advisor/daemon/signals.hpp"
#include "advisor/daemon/target_worker.hpp"
#include "advisor/daemon/webhook_outbox.hpp"
#include "connectors/store/history_store.hpp"
#include "connectors/systemd/notifier.hpp"

namespace advisor::daemon {

namespace {

using Clock = std::chrono::steady_clock;

double unix_now()
{
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::chrono::seconds shutdown_deadline(const config::Config& config)
{
  return std::chrono::duration_cast<std::chrono::seconds>(config.duration("daemon.shutdown_timeout")) +
         std::chrono::seconds(1);
}

class Daemon {
public:
  Daemon(config::Config config, std::unique_ptr<connectors::store::HistoryStore> store,
         std::unique_ptr<WebhookOutbox> outbox, std::ostream& err)
      : m_config(std::move(config)),
        m_store(std::move(store)),
        m_outbox(std::move(outbox)),
        m_log(err, parse_log_level(m_config.text("daemon.log_level"))),
        m_signals(shutdown_deadline(m_config)),
        m_settings(cycle_settings(m_config))
  {
    sync_workers();
    if (auto interval = m_notifier.watchdog_interval())
      m_ping_every = std::chrono::duration_cast<Clock::duration>(*interval / 2);
  }

  ExitCode run(bool once)
  {
    m_notifier.ready("watching " + std::to_string(m_workers.size()) + " targets");
    m_log.info("", "started: " + std::to_string(m_workers.size()) + " targets, state " +
                       m_config.text("daemon.state"));
    while (!m_stopping) {
      const auto cycle_start = Clock::now();
      run_cycle();
      if (once || m_stopping)
        break;
      wait_until(cycle_start + std::chrono::duration_cast<Clock::duration>(m_config.duration("daemon.interval")));
    }
    m_notifier.stopping();
    for (auto& [name, worker] : m_workers)
      worker->save_baseline(*m_store, m_log, unix_now());
    m_log.info("", "stopped");
    return ExitCode::done;
  }

private:
  void sync_workers()
  {
    std::map<std::string, std::unique_ptr<TargetWorker>> next;
    const auto max_tracked = static_cast<std::size_t>(m_config.integer("daemon.max_tracked_statements"));
    for (const auto& target : m_config.targets) {
      auto it = m_workers.find(target.name);
      if (it != m_workers.end()) {
        it->second->set_target(target);
        it->second->set_max_tracked(max_tracked);
        next[target.name] = std::move(it->second);
      } else {
        next[target.name] = std::make_unique<TargetWorker>(target, max_tracked);
      }
    }
    m_workers = std::move(next);
    m_order.clear();
    for (const auto& target : m_config.targets)
      m_order.push_back(target.name);
  }

  //! Between steps: signals and the watchdog. False once a stop was asked for.
  bool tick()
  {
    for (const int signo : m_signals.drain()) {
      if (signo == SIGHUP)
        m_reload_pending = true;
      else
        begin_stop();
    }
    if (m_ping_every && Clock::now() >= m_next_ping) {
      m_notifier.watchdog();
      m_next_ping = Clock::now() + *m_ping_every;
    }
    return !m_stopping;
  }

  void begin_stop()
  {
    if (m_stopping)
      return;
    m_stopping = true;
    m_notifier.stopping();
    m_log.info("", "SIGTERM: stopping (a running cycle gets " + m_config.text("daemon.shutdown_timeout") + ")");
  }

  void run_cycle()
  {
    const double now = unix_now();
    auto keep_going = [this] { return tick(); };
    std::vector<TargetStatus> statuses;
    for (const auto& name : m_order) {
      if (!tick())
        break;
      auto& worker = *m_workers.at(name);
      worker.load_baseline(*m_store, m_log);
      const auto outcome = worker.run(*m_store, m_settings, m_log, keep_going, now, outbox());
      if (outcome.sampled)
        m_log.debug(name, "cycle: " + std::to_string(outcome.windows) + " statements active, " +
                              std::to_string(outcome.detections) + " detections, " + std::to_string(outcome.analysed) +
                              " analysed, " + std::to_string(outcome.filed) + " filed");
    }
    for (const auto& name : m_order) {
      auto last = m_store->last_cycle(name);
      statuses.push_back({name, m_workers.at(name)->up(), last ? *last : std::nullopt});
    }
    deliver();
    const std::string output = m_config.text("daemon.output");
    if (auto error = write_recommendations_file(*m_store, statuses, output))
      m_log.error("", "cannot write " + output + " (" + error->message + "); the previous file is kept");
    if (now - m_last_prune > 3600) {
      m_last_prune = now;
      const double raw = static_cast<double>(m_config.duration("daemon.raw_retention").count()) / 1000.0;
      const double hourly = static_cast<double>(m_config.duration("daemon.hourly_retention").count()) / 1000.0;
      if (auto error = m_store->prune(now, raw, hourly))
        m_log.warning("", "cannot prune the history (" + error->message + "); retrying next hour");
    }
    int up = 0;
    for (const auto& status : statuses)
      up += status.up ? 1 : 0;
    m_notifier.status(std::to_string(up) + "/" + std::to_string(statuses.size()) + " targets up");
  }

  WebhookOutbox* outbox() { return m_outbox && m_outbox->enabled() ? m_outbox.get() : nullptr; }

  void deliver()
  {
    if (!outbox())
      return;
    const double retention = static_cast<double>(m_config.duration("daemon.hourly_retention").count()) / 1000.0;
    m_outbox->deliver(m_log, unix_now(), retention);
  }

  void wait_until(Clock::time_point deadline)
  {
    while (tick()) {
      if (m_reload_pending) {
        m_reload_pending = false;
        reload();
        continue;
      }
      // Webhook retries are due between cycles too (backoff of seconds, Retry-After).
      auto due = outbox() ? m_outbox->next_due() : std::nullopt;
      if (due && *due <= unix_now()) {
        deliver();
        due = m_outbox->next_due();
      }
      const auto now = Clock::now();
      if (now >= deadline)
        return;
      auto wait = deadline - now;
      if (due)
        wait = std::min<Clock::duration>(
            wait, std::max<Clock::duration>(std::chrono::duration_cast<Clock::duration>(
                                                std::chrono::duration<double>(*due - unix_now())),
                                            std::chrono::milliseconds(50)));
      if (m_ping_every)
        wait = std::min(wait, std::max<Clock::duration>(m_next_ping - now, std::chrono::milliseconds(1)));
      pollfd pfd{m_signals.fd(), POLLIN, 0};
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(wait).count();
      ::poll(&pfd, 1, static_cast<int>(std::max<long long>(1, std::min<long long>(ms, 60'000))));
    }
  }

  void reload()
  {
    m_notifier.reloading();
    m_log.info("", "SIGHUP: reloading " + m_config.file);
    auto next = reload_config(m_config, m_sources, m_log);
    if (next) {
      auto outbox = WebhookOutbox::open(*next, m_store->database());
      if (!outbox) {
        m_log.error("", "reload: " + outbox.error().message + "; the old configuration is kept");
        m_notifier.ready("watching " + std::to_string(m_workers.size()) + " targets");
        return;
      }
      m_outbox = std::move(*outbox);
      m_config = std::move(*next);
      m_log.set_level(parse_log_level(m_config.text("daemon.log_level")));
      m_settings = cycle_settings(m_config);
      m_signals.set_hard_deadline(shutdown_deadline(m_config));
      sync_workers();
      m_log.info("", "reloaded: " + std::to_string(m_workers.size()) + " targets");
    }
    m_notifier.ready("watching " + std::to_string(m_workers.size()) + " targets");
  }

public:
  config::ConfigSources m_sources;

private:
  config::Config m_config;
  std::unique_ptr<connectors::store::HistoryStore> m_store;
  std::unique_ptr<WebhookOutbox> m_outbox;
  Log m_log;
  SignalPipe m_signals;
  connectors::systemd::Notifier m_notifier;
  CycleSettings m_settings;
  std::map<std::string, std::unique_ptr<TargetWorker>> m_workers;
  std::vector<std::string> m_order;
  std::optional<Clock::duration> m_ping_every;
  Clock::time_point m_next_ping{};
  bool m_stopping = false;
  bool m_reload_pending = false;
  double m_last_prune = 0;
};

}  // namespace

ExitCode run_daemon(const DaemonOptions& options, std::ostream& err)
{
  auto config = config::load_config(options.sources);
  if (!config) {
    err << "pgadvisor: " << config.error().message << "\n";
    return ExitCode::usage;
  }
  if (config->targets.empty()) {
    err << "pgadvisor: " << (config->file.empty() ? std::string("no config file") : config->file)
        << ": no [targets]: nothing to watch\n";
    return ExitCode::usage;
  }
  // A database outage must not block start-up; only the store (a local file) must open.
  const std::string state = config->text("daemon.state");
  auto store = connectors::store::HistoryStore::open(state);
  if (!store) {
    err << "pgadvisor: " << store.error().message << "\n";
    return ExitCode::failed;
  }
  // A webhook that cannot be set up (missing secret file, bad format) stops the start: running
  // without the sink the operator configured would silently lose its events.
  auto outbox = WebhookOutbox::open(*config, (*store)->database());
  if (!outbox) {
    err << "pgadvisor: " << outbox.error().message << "\n";
    return ExitCode::usage;
  }
  Daemon daemon(std::move(*config), std::move(*store), std::move(*outbox), err);
  daemon.m_sources = options.sources;
  return daemon.run(options.once);
}

}  // namespace advisor::daemon
