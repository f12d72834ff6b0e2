/** `meshEngineers` → `Mesh engineers`. */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/[-_]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const RATIO_KEY = /coverage|ratio|share|threshold|fraction/i;

/** A gate figure for people: ratios as percentages, numbers grouped. */
export function formatFigure(key: string, value: number | string): string {
  if (typeof value === 'string') {
    return value;
  }
  if (RATIO_KEY.test(key) && value > 0 && value < 1) {
    return `${Math.round(value * 100)}%`;
  }
  return value.toLocaleString(undefined, { maximumFractionDigits: 2 });
}

export function formatMemory(mib: number): string {
  if (mib >= 1024) {
    return `${(mib / 1024).toLocaleString(undefined, {
      maximumFractionDigits: 1,
    })} GiB`;
  }
  return `${Math.round(mib).toLocaleString()} MiB`;
}

export function formatVcpu(vcpu: number): string {
  return `${vcpu.toLocaleString(undefined, { maximumFractionDigits: 2 })} vCPU`;
}

/** The short name of an entity ref: `group:default/payments` → `payments`. */
export function shortRef(ref: string): string {
  const slash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':');
  if (slash !== -1) return ref.slice(slash + 1);
  if (colon !== -1) return ref.slice(colon + 1);
  return ref;
}
