#include "advisor/daemon/reload.hpp"

#include "advisor/config/config_keys.hpp"

namespace advisor::daemon {

std::optional<config::Config> reload_config(const config::Config& running, const config::ConfigSources& sources,
                                            Log& log)
{
  auto next = config::load_config(sources);
  if (!next) {
    log.error("", "reload failed: " + next.error().message + "; keeping the running configuration");
    return std::nullopt;
  }
  if (next->targets.empty()) {
    log.error("", "reload failed: no [targets]; keeping the running configuration");
    return std::nullopt;
  }
  for (const auto& key : config::key_table()) {
    if (key.reloadable)
      continue;
    const std::string name = config::full_name(key);
    if (next->settings.at(name).value != running.settings.at(name).value) {
      log.warning("", name + " changed: restart pgadvisor to apply it; keeping " + running.settings.at(name).value);
      next->settings[name] = running.settings.at(name);
    }
  }
  return std::move(*next);
}

}  // namespace advisor::daemon
