// The examples' listings, fetched when an example is first shown: the
// build writes `pkg/examples/<id>.json`, `{ "python": "...", "rust": "..." }`,
// beside the package, which does not carry them.

const LISTINGS = new URL("./pkg/examples/", import.meta.url);

// A listing that could not be had, with a message for the reader.
export class ListingError extends Error {
  name = "ListingError";
}

// Listings from `base` (a URL ending in `/`), each fetched once with
// `fetchFn`; a failed fetch is tried again next time.
export class ListingLoader {
  #base;
  #fetch;
  #cache = new Map();

  constructor(base = LISTINGS, fetchFn = (...args) => globalThis.fetch(...args)) {
    this.#base = base;
    this.#fetch = fetchFn;
  }

  // `{ python, rust }` for the example `id`; rejects with a ListingError.
  load(id) {
    let loading = this.#cache.get(id);
    if (!loading) {
      loading = this.#get(id);
      this.#cache.set(id, loading);
      loading.catch(() => this.#cache.delete(id));
    }
    return loading;
  }

  async #get(id) {
    const url = new URL(`${encodeURIComponent(id)}.json`, this.#base);
    let response;
    try {
      response = await this.#fetch(url);
    } catch (error) {
      throw new ListingError(`the listing of "${id}" could not be fetched (${error.message})`);
    }
    if (!response.ok) throw new ListingError(`the listing of "${id}" could not be fetched (HTTP ${response.status})`);
    let listing;
    try {
      listing = await response.json();
    } catch {
      throw new ListingError(`the listing of "${id}" is not JSON`);
    }
    if (typeof listing?.python !== "string" || typeof listing?.rust !== "string") {
      throw new ListingError(`the listing of "${id}" has no Python and Rust text`);
    }
    return { python: listing.python, rust: listing.rust };
  }
}

// The page's loader: every element shares it.
export const listings = new ListingLoader();
