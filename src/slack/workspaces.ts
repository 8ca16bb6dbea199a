import type { Telemetry } from "../engine/telemetry.js";
import { WebClient } from "@slack/web-api";
import type { Logger as BoltLogger } from "@slack/bolt";
import type { Config } from "../config.js";
import type { Inbox } from "../engine/inbox/ports.js";
import type { ReplyJobs } from "../engine/inbox/reply-jobs.js";
import type { InterviewService } from "../engine/interview/service.js";
import { slackClientOptions } from "./client-options.js";
import type { SlackDeps } from "./deps.js";
import { createLoopFeature, type LoopLogger } from "./loop/feature.js";
import type { DocumentInstallationStore } from "./oauth/installation-store.js";
import type { WorkspaceTokens } from "./oauth/workspace-clients.js";
import { workspaceKey, type WorkspaceIds } from "./oauth/workspace-key.js";
import { storageKeyFor } from "./oauth/root-workspace.js";
import { createScheduleFeature } from "./schedule/feature.js";
import { TokenDecryptError } from "../infra/secrets/token-cipher.js";

/** One workspace as the app serves it: its listeners' deps and a client carrying its bot token. */
export interface WorkspaceRuntime {
  workspace: string;
  deps: SlackDeps;
  /** For what the app posts on its own in this workspace (answers graded after the ack). */
  client: WebClient;
}

/** What the listeners ask of the workspaces: the deps of the one a request comes from, and its lifecycle. */
export interface WorkspaceDirectory {
  /** The deps of the workspace in Bolt's `context` (built and started on first use). */
  depsFor(context: WorkspaceIds): Promise<SlackDeps>;
  /** `app_uninstalled`: its installation is deleted and its schedules pause (they stay stored). */
  uninstalled(context: WorkspaceIds): Promise<void>;
  /** `tokens_revoked`: a revoked bot token is an uninstall; revoked user tokens are forgotten. */
  tokensRevoked(context: WorkspaceIds, tokens: { oauth?: string[]; bot?: string[] }): Promise<void>;
}

export interface SlackWorkspacesOptions {
  config: Config;
  interviewFor(workspace: string): Promise<InterviewService>;
  tokens: WorkspaceTokens;
  /** OAuth mode; undefined with SLACK_BOT_TOKEN (one workspace, the storage root ""). */
  installations?: DocumentInstallationStore;
  /**
   * OAuth mode: the team whose data sits at the storage root, recorded when the app ran with SLACK_BOT_TOKEN.
   * That workspace keeps reading and writing it there, so switching modes hides no one's history.
   */
  rootTeam?: string;
  inbox: Inbox;
  replies: ReplyJobs;
  /** Whether this process runs each workspace's daily scheduler (queue "deliver") and loop pacer ("loop"). */
  timers: { deliver: boolean; loop: boolean };
  /** Bolt's client in single-workspace mode (answers are posted with it, as always). */
  appClient?: WebClient;
  /** Bolt's logger, handed to listeners. */
  logger: BoltLogger;
  /** The app's logger, for schedulers and pacers. */
  log: LoopLogger;
  /** Counts deliveries and paced rounds (default: nothing). */
  telemetry?: Telemetry;
}

interface Running extends WorkspaceRuntime {
  stop(): void;
}

/**
 * Every workspace the app serves, built lazily and cached: its interview service over its own documents,
 * its daily scheduler (own send queue: pacing and Slack's rate limits are per workspace) and its mock-loop
 * pacer, both posting with its own token. With SLACK_BOT_TOKEN there is one, the root "", whose data is
 * where it always was.
 */
export class SlackWorkspaces implements WorkspaceDirectory {
  private readonly running = new Map<string, Promise<Running>>();
  /** Built runtimes, for synchronous reads (metrics). */
  private readonly built = new Map<string, Running>();

  constructor(private readonly options: SlackWorkspacesOptions) {}

  /** Daily deliveries queued across every workspace served here. */
  deliveryBacklog(): number {
    let queued = 0;
    for (const runtime of this.built.values()) queued += runtime.deps.schedule.scheduler.stats.queued;
    return queued;
  }

  get oauth(): boolean {
    return Boolean(this.options.installations);
  }

  /** The key of the workspace a request comes from: team or enterprise id (see workspaceKey); "" in single-workspace mode. */
  keyOf(ids: WorkspaceIds): string {
    return this.oauth ? workspaceKey(ids) : "";
  }

  /** The workspace of records that name none (written in single-workspace mode): the root's team in OAuth mode. */
  get rootWorkspace(): string {
    return this.oauth ? (this.options.rootTeam ?? "") : "";
  }

  /** Where a workspace's documents live: its own key, or the root for the single-workspace team. */
  storageKeyOf(workspace: string): string {
    return this.oauth ? storageKeyFor(workspace, this.options.rootTeam) : workspace;
  }

  /** The running workspace, built and started on first use. Rejects with NotInstalledError in OAuth mode for a workspace without installation. */
  get(workspace: string): Promise<WorkspaceRuntime> {
    let runtime = this.running.get(workspace);
    if (!runtime) {
      runtime = this.build(workspace);
      runtime.catch(() => {
        if (this.running.get(workspace) === runtime) this.running.delete(workspace);
      });
      this.running.set(workspace, runtime);
    }
    return runtime;
  }

  /** The workspaces being served now (their schedules running), sorted. */
  async served(): Promise<string[]> {
    const started = await Promise.all([...this.running].map(([workspace, runtime]) => runtime.then(() => workspace, () => undefined)));
    return started.filter((w): w is string => w !== undefined).sort();
  }

  async depsFor(context: WorkspaceIds): Promise<SlackDeps> {
    return (await this.get(this.keyOf(context))).deps;
  }

  /** Starts every installed workspace (one in single-workspace mode); a workspace that fails is logged, not fatal, in OAuth mode. */
  async startAll(): Promise<void> {
    const { installations, log } = this.options;
    if (!installations) {
      await this.get("");
      return;
    }
    const workspaces = await installations.workspaces();
    for (const workspace of workspaces) {
      await this.get(workspace).catch((error: Error) => {
        // A key that opens no installation is a configuration mistake, not one workspace's trouble.
        if (error instanceof TokenDecryptError && error.wrongKey) {
          throw new TokenDecryptError(
            `The installation of workspace ${workspace} cannot be read: it was ${error.message}. Set TOKEN_ENCRYPTION_KEY to the key the installations were stored with (or have every workspace install the app again).`,
          );
        }
        log.error(`workspace ${workspace}: could not start its schedules: ${error.message}`);
      });
    }
    log.info(`Serving ${workspaces.length} installed workspace(s); install more at /slack/install.`);
  }

  /** A (re)installation was stored: the workspace restarts with its new token. */
  async installed(workspace: string): Promise<void> {
    await this.pause(workspace);
    await this.get(workspace).catch((error: Error) => this.options.log.error(`workspace ${workspace}: could not start after install: ${error.message}`));
  }

  /** Stops the workspace's scheduler and pacer; its subscriptions and loops stay stored. */
  async pause(workspace: string): Promise<boolean> {
    const runtime = this.running.get(workspace);
    if (!runtime) return false;
    this.running.delete(workspace);
    const started = await runtime.catch(() => undefined);
    started?.stop();
    return Boolean(started);
  }

  async uninstalled(context: WorkspaceIds): Promise<void> {
    const workspace = this.keyOf(context);
    if (this.options.installations) await this.options.installations.remove(workspace);
    await this.pause(workspace);
    this.options.log.warn(
      this.oauth
        ? `workspace ${workspace}: the app was uninstalled; its installation is deleted and its schedules are paused until it is installed again.`
        : "The app was uninstalled from the workspace: daily questions and paced rounds are paused. Reinstall it, put the new SLACK_BOT_TOKEN in .env and restart.",
    );
  }

  async tokensRevoked(context: WorkspaceIds, tokens: { oauth?: string[]; bot?: string[] }): Promise<void> {
    if (tokens.bot && tokens.bot.length > 0) return this.uninstalled(context);
    if (tokens.oauth && tokens.oauth.length > 0 && this.options.installations) {
      await this.options.installations.revokeUserTokens(this.keyOf(context), tokens.oauth);
    }
  }

  /** Stops every workspace's timers (shutdown). */
  async stopAll(): Promise<void> {
    const all = [...this.running.keys()];
    await Promise.all(all.map((workspace) => this.pause(workspace)));
  }

  private async build(workspace: string): Promise<Running> {
    const { config, log, appClient } = this.options;
    const interview = await this.options.interviewFor(this.storageKeyOf(workspace));
    const token = await this.options.tokens.botToken(workspace);
    const client = appClient ?? new WebClient(token, slackClientOptions(config));
    const schedule = createScheduleFeature(config, interview, log, { token, telemetry: this.options.telemetry });
    const loop = createLoopFeature(config, interview, {
      focus: schedule.scheduler,
      timeZoneOf: (id) => schedule.people.timeZoneOf(id),
      logger: log,
      client: new WebClient(token, slackClientOptions(config)),
      telemetry: this.options.telemetry,
    });
    const deps: SlackDeps = {
      workspace,
      interview,
      config,
      logger: this.options.logger,
      inbox: this.options.inbox,
      replies: this.options.replies,
      schedule,
      loop,
    };
    const stop = () => {
      schedule.scheduler.stop();
      loop.pacer.stop();
    };
    try {
      // A corrupt schedule file stops here, naming the file.
      if (this.options.timers.deliver) await schedule.scheduler.start();
      // Mock loops paced a round a day: rounds that fell due while the app was down are posted now.
      if (this.options.timers.loop) await loop.pacer.start();
    } catch (error) {
      stop();
      throw error;
    }
    const runtime = { workspace, deps, client, stop: () => (this.built.delete(workspace), stop()) };
    this.built.set(workspace, runtime);
    return runtime;
  }
}
