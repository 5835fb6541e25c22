/* What the console knows: the signed-in agent, the queue, the selected handoff and its transcript. */

export const state = {
  agent: null,
  csrf: "",
  waiting: new Map(),
  mine: new Map(),
  queueLoading: null, // events received while the queue is being loaded, replayed afterwards
  selected: null,
  detail: null,
  messages: new Map(),
  convReconnecting: false,
  agents: [],
  replies: [],
  tick: null,
};

/** Whether the selected handoff is active and followed by the signed-in agent. */
export function isMine() {
  return Boolean(
    state.detail && state.agent && state.detail.status === "active" && state.detail.agent_id === state.agent.id
  );
}
